"""A PyTorch program in the style of pytorch/examples dcgan/main.py and vae/main.py (written
for torch; ported by autograd.port and run): a small DCGAN generator and discriminator
(ConvTranspose2d, BatchNorm2d, LeakyReLU, PixelShuffle, ``weights_init`` through ``apply``,
``torch.nn.parallel``), one GAN step with BCELoss and Adam, and a VAE step with the
reparameterisation trick and a MultiStepLR schedule. Noise and weights are deterministic, so
PyTorch and the port print the same numbers and the same module reprs."""
import torch
import torch.nn as nn
import torch.nn.parallel
import torch.optim as optim
from torch.nn import functional as F

nz, ngf, ndf, nc = 4, 4, 4, 1
device = torch.device("cpu")


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        torch.nn.init.normal_(m.weight, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        torch.nn.init.normal_(m.weight, 1.0, 0.02)
        torch.nn.init.zeros_(m.bias)


def fill_deterministically(model):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            values = torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 1.3 + i) * 0.1
            p.copy_(values.view_as(p) + (1.0 if p.dim() == 1 and i % 3 == 1 else 0.0))


class Generator(nn.Module):
    def __init__(self, ngpu):
        super(Generator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False),     # 4 x 4
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.Conv2d(ngf * 4, ngf * 4, 3, 1, 1, bias=False),
            nn.PixelShuffle(2),                                         # ngf x 8 x 8
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),           # 16 x 16
            nn.Tanh(),
        )

    def forward(self, input):
        if input.is_cuda and self.ngpu > 1:
            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        else:
            output = self.main(input)
        return output


class Discriminator(nn.Module):
    def __init__(self, ngpu):
        super(Discriminator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.DataParallel(nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        ))

    def forward(self, input):
        output = self.main(input)               # DataParallel: the module as it is on a CPU
        return output.view(-1, 1).squeeze(1)


netG = Generator(1).to(device)
netG.apply(weights_init)
netD = Discriminator(1).to(device)
netD.apply(weights_init)
print(netG)
print(netD)
fill_deterministically(netG)
fill_deterministically(netD)

criterion = nn.BCELoss()
batch_size = 4
noise = torch.sin(torch.arange(batch_size * nz, dtype=torch.float32)).view(batch_size, nz, 1, 1)
real = torch.cos(torch.arange(batch_size * nc * 16 * 16, dtype=torch.float32) * 0.05)
real = real.view(batch_size, nc, 16, 16)
optimizerD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))
for i in range(3):
    netD.zero_grad()
    label = torch.full((batch_size,), 1.0, dtype=real.dtype, device=device)
    output = netD(real)
    errD_real = criterion(output, label)
    errD_real.backward()
    D_x = output.mean().item()
    fake = netG(noise)
    label.fill_(0.0)
    output = netD(fake.detach())
    errD_fake = criterion(output, label)
    errD_fake.backward()
    errD = errD_real + errD_fake
    optimizerD.step()
    netG.zero_grad()
    label.fill_(1.0)
    output = netD(fake)
    errG = criterion(output, label)
    errG.backward()
    optimizerG.step()
    print("[%d/3] Loss_D: %.4f Loss_G: %.4f D(x): %.4f fake %s"
          % (i, errD.item(), errG.item(), D_x, tuple(fake.shape)))


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(16, 8)
        self.fc21 = nn.Linear(8, 2)
        self.fc22 = nn.Linear(8, 2)
        self.fc3 = nn.Linear(2, 8)
        self.fc4 = nn.Linear(8, 16)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar, eps):
        std = torch.exp(0.5 * logvar)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x, eps):
        mu, logvar = self.encode(x.view(-1, 16))
        z = self.reparameterize(mu, logvar, eps)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 16), reduction="sum")
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


vae = VAE().to(device)
fill_deterministically(vae)
opt = optim.Adam(vae.parameters(), lr=1e-2)
sched = optim.lr_scheduler.MultiStepLR(opt, milestones=[2], gamma=0.1)
data = (torch.sin(torch.arange(6 * 16, dtype=torch.float32)) * 0.5 + 0.5).view(6, 1, 4, 4)
eps = torch.cos(torch.arange(12, dtype=torch.float32)).view(6, 2)
for epoch in range(4):
    opt.zero_grad()
    recon, mu, logvar = vae(data, eps)
    loss = loss_function(recon, data, mu, logvar)
    loss.backward()
    opt.step()
    sched.step()
    print(f"vae epoch {epoch} loss {loss.item() / len(data):.4f} lr {sched.get_last_lr()[0]:g}")
with torch.no_grad():
    sample = vae.decode(eps[:3]).cpu()
    comparison = torch.cat([data[:3], recon.view(6, 1, 4, 4)[:3]])
print(f"sample {sample.shape} comparison {comparison.shape} {comparison.dtype}")
